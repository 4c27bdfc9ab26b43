FROM hashicorp/terraform:1.9 AS plan
ARG TF_TOKEN_app_terraform_io
ENV TF_TOKEN_app_terraform_io=${TF_TOKEN_app_terraform_io}
WORKDIR /infra
COPY *.tf ./
# terraform reads TF_TOKEN_<host> on its own: only this RUN gets the mount
RUN terraform init -input=false
RUN ls -la /infra > /infra/files.txt

FROM alpine:3.20
COPY --from=plan /infra/.terraform.lock.hcl /infra/
