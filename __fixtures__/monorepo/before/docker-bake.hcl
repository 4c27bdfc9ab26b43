variable "NPM_TOKEN" {}
variable "TAG" { default = "dev" }

group "default" {
  targets = ["api", "web"]
}

target "api" {
  context = "services/api"
  tags    = ["api:${TAG}"]
  args = {
    NPM_TOKEN = "${NPM_TOKEN}"
    NODE_ENV  = "production"
  }
}

target "web" {
  context    = "services/web"
  dockerfile = "Dockerfile"
  tags       = ["web:${TAG}"]
  args       = { NPM_TOKEN = "${NPM_TOKEN}" }
}
