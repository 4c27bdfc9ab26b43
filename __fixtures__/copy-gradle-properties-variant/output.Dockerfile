# syntax=docker/dockerfile:1
FROM gradle:8.7-jdk21 AS build
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY src ./src
RUN --mount=type=secret,id=gradle.properties.local,target=/home/gradle/.gradle/gradle.properties,required=true gradle --no-daemon build -x test

FROM eclipse-temurin:21-jre
COPY --from=build /home/gradle/project/build/libs/app.jar /app/app.jar
CMD ["java", "-jar", "/app/app.jar"]
