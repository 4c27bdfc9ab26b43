# syntax=docker/dockerfile:1
FROM eclipse-temurin:17
RUN cd /opt && \
    curl -fsSL https://archive.apache.org/dist/maven/maven-3/3.9.6/binaries/apache-maven-3.9.6-bin.tar.gz | tar xz && \
    mv apache-maven-3.9.6 maven && \
    rm -rf /opt/maven/conf/settings.xml
ENV PATH=$PATH:/opt/maven/bin
COPY . /src
RUN --mount=type=secret,id=maven_settings.xml,target=/opt/maven/conf/settings.xml,required=true cd /src && mvn -B package
