# syntax=docker/dockerfile:1
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
COPY pom.xml .
RUN --mount=type=secret,id=settings.xml,target=/root/.m2/settings.xml,required=true mvn -B -q dependency:go-offline
COPY src ./src
RUN --mount=type=secret,id=settings.xml,target=/root/.m2/settings.xml,required=true mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
COPY --from=build /build/target/app.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
