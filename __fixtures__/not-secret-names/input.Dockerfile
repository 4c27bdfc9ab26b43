FROM python:3.12-slim
ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305
ENV PYTHON_VERSION=3.12.4
ARG PUBLIC_KEY
ARG DB_PASSWORD_FILE=/run/secrets/db_password
ARG AUTH_MODULE_VERSION=2.1.0
ENV TOKENIZERS_PARALLELISM=false
ENV KEYCLOAK_URL=https://sso.acme.io KEYCLOAK_REALM=acme
RUN pip install --no-cache-dir "acme-auth==${AUTH_MODULE_VERSION}" \
 && echo "${PUBLIC_KEY}" > /etc/acme-signing.pub
CMD ["python", "-m", "acme"]
