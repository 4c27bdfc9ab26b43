FROM eclipse-temurin:17
RUN cd /opt && \
    curl -fsSL https://archive.apache.org/dist/maven/maven-3/3.9.6/binaries/apache-maven-3.9.6-bin.tar.gz | tar xz && \
    mv apache-maven-3.9.6 maven && \
    rm -rf /opt/maven/conf/settings.xml
ADD ./conf/maven/settings.xml /opt/maven/conf
ENV PATH=$PATH:/opt/maven/bin
COPY . /src
RUN cd /src && mvn -B package
