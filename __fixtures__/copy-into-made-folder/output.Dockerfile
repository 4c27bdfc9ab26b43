# syntax=docker/dockerfile:1
FROM gradle:8-jdk21
RUN mkdir -p /home/gradle/project
WORKDIR /home/gradle/project
COPY . .
RUN --mount=type=secret,id=gradle.properties,target=/home/gradle/project/gradle.properties,required=true gradle build --no-daemon
