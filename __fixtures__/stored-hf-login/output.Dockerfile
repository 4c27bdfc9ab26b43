# syntax=docker/dockerfile:1
FROM python:3.12
RUN pip install huggingface_hub
RUN --mount=type=secret,id=hf_token,env=HF_TOKEN HF_TOKEN="$HF_TOKEN" huggingface-cli download acme/private-model --local-dir /models
