FROM gradle:8-jdk21
RUN mkdir -p /home/gradle/project
COPY gradle.properties /home/gradle/project
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon
