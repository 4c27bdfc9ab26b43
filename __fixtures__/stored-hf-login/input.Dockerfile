FROM python:3.12
ARG HF_TOKEN
RUN pip install huggingface_hub && huggingface-cli login --token "$HF_TOKEN"
RUN huggingface-cli download acme/private-model --local-dir /models
