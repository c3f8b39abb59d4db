# The phoihop image: Airflow 3 with the project and its pinned dependencies (used by docker-compose.yml).
FROM apache/airflow:3.3.2-python3.11

USER root
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
USER airflow

COPY --chown=airflow:root requirements.txt constraints.txt /opt/phoihop/
RUN pip install --no-cache-dir -r /opt/phoihop/requirements.txt -c /opt/phoihop/constraints.txt \
    "apache-airflow-providers-celery" "psycopg2-binary" "redis"

COPY --chown=airflow:root . /opt/phoihop
RUN pip install --no-cache-dir --no-deps -e /opt/phoihop
ENV PYTHONPATH=/opt/phoihop \
    PHOIHOP_DATA=/opt/phoihop/data \
    PHOIHOP_CONFIG=/opt/phoihop/config
