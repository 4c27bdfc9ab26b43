variable "NPM_TOKEN" {}
variable "TAG" { default = "dev" }

group "default" {
  targets = ["api", "web"]
}

target "api" {
  context = "services/api"
  tags    = ["api:${TAG}"]
  args = {
    NODE_ENV  = "production"
  }
  secret = ["id=npm_token,env=NPM_TOKEN", "id=npmrc_api,src=services/api/.npmrc"]
}

target "web" {
  context    = "services/web"
  dockerfile = "Dockerfile"
  tags       = ["web:${TAG}"]
  secret = ["id=npm_token,env=NPM_TOKEN", "id=npmrc_web,src=services/web/.npmrc"]
}
