FROM eclipse-temurin:21-jre
COPY certs/cacerts.jks certs/kafka.truststore.jks certs/truststore.p12 /etc/app/tls/
COPY keys/pubring.gpg keys/trustdb.gpg keys/KEYS.asc /etc/app/gpg/
COPY .env.example .env.dist /app/
COPY gradle.properties.example /app/
CMD ["java", "-jar", "/app/app.jar"]
