# syntax=docker/dockerfile:1
FROM ghcr.io/oracle/oci-cli:latest
COPY oci/oci_api_key_public.pem /root/.oci/oci_api_key_public.pem
RUN --mount=type=secret,id=oci_config,target=/root/.oci/config,required=true --mount=type=secret,id=oci_api_key.pem,target=/root/.oci/oci_api_key.pem,required=true oci os object get --bucket-name artifacts --name model.bin --file /opt/model.bin
CMD ["/opt/run.sh"]
