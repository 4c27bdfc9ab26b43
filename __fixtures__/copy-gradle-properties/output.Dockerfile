# syntax=docker/dockerfile:1
FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
COPY gradlew settings.gradle.kts build.gradle.kts ./
COPY gradle ./gradle
RUN --mount=type=secret,id=gradle.properties,target=/root/.gradle/gradle.properties,required=true ./gradlew --no-daemon dependencies
COPY src ./src
RUN --mount=type=secret,id=gradle.properties,target=/root/.gradle/gradle.properties,required=true ./gradlew --no-daemon bootJar
