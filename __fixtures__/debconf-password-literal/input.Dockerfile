FROM ubuntu:22.04
RUN echo "mysql-server mysql-server/root_password password s3cr3t-Pw" | debconf-set-selections
RUN echo "mysql-server mysql-server/root_password_again password s3cr3t-Pw" | debconf-set-selections
RUN echo "tzdata tzdata/Areas select Europe" | debconf-set-selections
RUN apt-get update && apt-get install -y mysql-server
