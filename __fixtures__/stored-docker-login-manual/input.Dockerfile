FROM docker:27
ARG REGISTRY_PASSWORD
RUN docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com
