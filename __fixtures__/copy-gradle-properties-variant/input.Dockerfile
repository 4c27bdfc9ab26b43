FROM gradle:8.7-jdk21 AS build
WORKDIR /home/gradle/project
COPY build.gradle settings.gradle ./
COPY gradle.properties.local /home/gradle/.gradle/gradle.properties
COPY src ./src
RUN gradle --no-daemon build -x test

FROM eclipse-temurin:21-jre
COPY --from=build /home/gradle/project/build/libs/app.jar /app/app.jar
CMD ["java", "-jar", "/app/app.jar"]
