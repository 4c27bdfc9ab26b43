# syntax=docker/dockerfile:1
FROM hashicorp/terraform:1.9 AS plan
WORKDIR /infra
COPY *.tf ./
# terraform reads TF_TOKEN_<host> on its own: only this RUN gets the mount
RUN --mount=type=secret,id=tf_token_app_terraform_io,env=TF_TOKEN_app_terraform_io terraform init -input=false
RUN ls -la /infra > /infra/files.txt

FROM alpine:3.20
COPY --from=plan /infra/.terraform.lock.hcl /infra/
