# syntax=docker/dockerfile:1
# revbot in one small image: `revbot serve` (Slack app, Stripe webhooks, /healthz) as a
# non-root user. Build and run (README, "Run it in containers"):
#   docker build -t revbot .
#   docker run --env-file .env -p 3000:3000 -v revbot-data:/app/data revbot
# Any other subcommand runs in place of serve, e.g.:
#   docker run --rm --env-file .env revbot db upgrade
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/revbot
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY core core
COPY billing billing
COPY storage storage
COPY sync sync
COPY questions questions
COPY answers answers
COPY usecases usecases
COPY bot bot
COPY briefs briefs
COPY demo demo
# A regular (not editable) install: the runtime stage needs the virtualenv only.
RUN /opt/revbot/bin/pip install ".[postgres]"

FROM ${PYTHON_IMAGE}
RUN useradd --system --user-group --uid 10001 --home-dir /app --create-home revbot \
    && install -d -o revbot -g revbot /app/data
COPY --from=build /opt/revbot /opt/revbot
ENV PATH=/opt/revbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REVBOT_DATA_DIR=/app/data \
    MPLCONFIGDIR=/app/.matplotlib
USER revbot
WORKDIR /app
# Build matplotlib's font cache once here rather than on every container start.
RUN python -c "import matplotlib.font_manager"
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
ENTRYPOINT ["revbot"]
CMD ["serve", "--host", "0.0.0.0", "--port", "3000"]
