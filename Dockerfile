FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-zenhei \
      postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# `--build-arg EXTRAS=[s3]`: the archive's papers in an S3-compatible bucket (README, Settings).
ARG EXTRAS=""
RUN pip install --no-cache-dir -e ".${EXTRAS}" \
    && python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_SECRET_KEY=build python manage.py collectstatic --noinput -v0
ENV PORT=8000
CMD ["sh", "-c", "gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers 3"]
