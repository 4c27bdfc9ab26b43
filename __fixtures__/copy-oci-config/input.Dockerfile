FROM ghcr.io/oracle/oci-cli:latest
COPY oci/config /root/.oci/config
COPY oci/oci_api_key.pem /root/.oci/oci_api_key.pem
COPY oci/oci_api_key_public.pem /root/.oci/oci_api_key_public.pem
RUN oci os object get --bucket-name artifacts --name model.bin --file /opt/model.bin
CMD ["/opt/run.sh"]
