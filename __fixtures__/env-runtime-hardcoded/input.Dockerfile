FROM python:3.12-slim
WORKDIR /bot
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY bot/ ./bot/
ENV SLACK_BOT_TOKEN=xoxb-2048613790-5120386472915-Qm7Zt2Lk9Wx4Rb8Nc3Vd6Hs1
CMD ["python", "-m", "bot"]
