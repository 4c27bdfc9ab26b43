# syntax=docker/dockerfile:1
FROM docker:27
RUN --mount=type=secret,id=registry_password,env=REGISTRY_PASSWORD docker login -u ci -p "$REGISTRY_PASSWORD" registry.example.com
