# The one image of the stack: web (gunicorn), worker and beat (Celery), migrations.
FROM python:3.11-slim-bookworm

# WeasyPrint lays out the PDF reports with Pango; pg_dump/pg_restore serve `manage.py backup`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=0 STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private

WORKDIR /app
COPY . .
# Hashed, compressed static files are part of the image: a throw-away key serves only this step.
RUN pip install --no-cache-dir . \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --uid 1000 --home-dir /app app \
 && mkdir -p /data/private /data/media \
 && chown -R app:app /data

USER app
EXPOSE 8000
# One log line per request comes from the application (request id, user id, duration).
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
