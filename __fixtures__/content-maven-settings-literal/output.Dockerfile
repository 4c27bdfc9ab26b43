# syntax=docker/dockerfile:1
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
COPY src ./src
RUN --mount=type=secret,id=settings.xml,target=/root/.m2/settings.xml,required=true mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre
COPY --from=build /src/target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
