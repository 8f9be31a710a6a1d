"""Settings from the environment, with working defaults for a laptop: SQLite and eager tasks."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)

# Production (DJANGO_PRODUCTION=1, as docker-compose.yml runs it) is served over HTTPS behind a
# proxy that sets X-Forwarded-Proto, and refuses to start without a real secret key.
PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be a real secret of 50 characters or more in production."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health check of a load balancer or container comes over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Every page runs only the portal's own scripts and styles (no inline script, no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "core",
    "notifications",
    "archive",
    "contracts",
    "staffing",
    "orders",
    "worklogs",
    "kpi",
    "assessment",
    "governance",
    "settlement",
    "finance",
    "reports",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.BusyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A request that fails leaves nothing half-saved (DRF rolls back on every error it answers).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A server process keeps its connection between requests (opening one costs more than a page).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A lock not had within this time answers 409 "try again" (core.locks), never a hung request.
LOCK_TIMEOUT_SECONDS = env.int("DB_LOCK_TIMEOUT_SECONDS", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins (a deferred one reads, then fails
    # at once to upgrade); a writer waits its turn up to the timeout. The tests use a file too
    # (an in-memory database shared between threads fails with "table is locked" at once), one
    # per test run, so that two runs on one machine never share it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": LOCK_TIMEOUT_SECONDS,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# Behind a reverse proxy every request comes from the proxy's address: the client's is read
# from X-Forwarded-For, as the last TRUSTED_PROXY_COUNT proxies wrote it, and only then.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)

# Logins (page, admin, API token) lock per username after five wrong passwords, for 15
# minutes (django-axes). Not per address: behind one proxy, or in one office, everybody shares
# one, and made-up names would lock out everyone. Attempts are rows in the database (admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
# axes.W006 asks for the address among the lockout parameters against clients that rotate their
# user agent or cookies; a username cannot be rotated, and the address is what must not count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Where `manage.py backup` (and the nightly backup, when BACKUP_HOUR is set) writes its archives:
# mount another disk or a synced folder there (README, Operations).
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "backups"))
# Staff ID numbers and phones are erased this many years after their contract ended (README,
# Personal data).
PERSONAL_DATA_YEARS = env.int("PERSONAL_DATA_YEARS", default=3)
# The bearer token Prometheus scrapes /metrics with (empty: administrators only).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# The archive's papers are stored through Django's storage API: on disk under MEDIA_ROOT by
# default, in an S3-compatible store (S3, MinIO, OSS, COS) when a bucket is named
# (`pip install ".[s3]"`). Nothing serves MEDIA_URL: a paper is only ever sent by the
# portal's checked download, so the bucket's objects stay private and a link to one is signed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DOCUMENTS_S3_BUCKET = env("DOCUMENTS_S3_BUCKET", default=env("AWS_STORAGE_BUCKET_NAME", default=""))
if DOCUMENTS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            # MinIO, OSS or COS: their endpoint; credentials as boto3 reads them
            # (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
            "endpoint_url": env("DOCUMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env("DOCUMENTS_S3_REGION", default=None),
            "location": env("DOCUMENTS_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL and (test_process := env("PYTEST_XDIST_WORKER", default="")):
    # The suite runs in parallel processes (gw0, gw1…), each on its own test database; each
    # also gets its own Redis database (broker, results, cache), so no worker takes another's
    # task and no cache key is shared.
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{1 + int(test_process.removeprefix('gw'))}"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Without a broker the tasks run in-process, so a laptop needs no services.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
# Tasks are safe to run twice, so a task is acknowledged when it ends, not when it starts: a
# worker killed half-way leaves it queued for the next one, and each worker takes one at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A started task names its worker (with CELERY_RESULT_EXTENDED), so tasks/<id>/ can tell one
# whose worker is gone (INTERRUPTED) before its first progress report.
CELERY_TASK_TRACK_STARTED = True
# Three queues, so that a big print run never delays the money: `money` the month's settlement
# (its parts follow it there), `pdf` the zips of PDFs (their parts too), `celery` the rest
# (notifications, the nightly jobs). A worker takes the queues its -Q names (README).
CELERY_TASK_ROUTES = {
    "settlement.tasks.settlements_compute_task": {"queue": "money"},
    "settlement.tasks.sheets_pdf_zip_task": {"queue": "pdf"},
}
CELERY_BEAT_SCHEDULE = {
    # /readyz tells beat is alive by this (core.health).
    "beat-heartbeat": {"task": "core.tasks.beat_heartbeat_task", "schedule": 60.0},
    "contracts-expire-due": {
        "task": "contracts.tasks.contracts_expire_due_task",
        "schedule": crontab(hour=0, minute=10),
    },
    "staff-mark-departed": {
        "task": "staffing.tasks.staff_mark_departed_task",
        "schedule": crontab(hour=0, minute=20),
    },
    "personal-data-erase-due": {
        "task": "staffing.tasks.personal_data_erase_due_task",
        "schedule": crontab(hour=0, minute=50),
    },
    "settlements-compute-last-month": {
        "task": "settlement.tasks.settlements_compute_last_month_task",
        "schedule": crontab(day_of_month=env.int("SETTLEMENT_DAY", default=8), hour=2, minute=0),
    },
    "terminations-apply-due": {
        "task": "orders.tasks.terminations_apply_due_task",
        "schedule": crontab(hour=0, minute=5),
    },
    "orders-start-due": {
        "task": "orders.tasks.orders_start_due_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "notifications-remind": {
        "task": "notifications.tasks.reminders_task",
        "schedule": crontab(hour=env.int("REMINDER_HOUR", default=8), minute=0),
    },
    "notifications-digest": {
        "task": "notifications.tasks.digest_task",
        "schedule": crontab(hour=env.int("REMINDER_HOUR", default=8), minute=30),
    },
    **(
        {
            "backup-nightly": {
                "task": "core.tasks.backup_task",
                "schedule": crontab(hour=env.int("BACKUP_HOUR"), minute=15),
            }
        }
        if env("BACKUP_HOUR", default="")
        else {}
    ),
    "bank-account-changes-apply": {
        "task": "core.tasks.bank_account_changes_apply_task",
        "schedule": crontab(hour=0, minute=40),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.rest.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.UserThrottle", "core.throttling.AnonThrottle"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.rest.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # JSON bodies bounded in size and depth (core.rest.JSONParser), as Django bounds forms.
    "DEFAULT_PARSER_CLASSES": [
        "core.rest.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

# API tokens (django-rest-knox): stored as digests, each with an expiry; a user lists and revokes
# theirs on the tokens page or at auth/tokens/.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", 90)),
    "AUTH_HEADER_PREFIX": "Token",
}

# Per user (per address without a login); e.g. "600/min", empty for none.
API_THROTTLE_RATES = {
    "user": env("API_THROTTLE_USER", default="600/min") or None,
    "anon": env("API_THROTTLE_ANON", default="60/min") or None,
    "login": env("API_THROTTLE_LOGIN", default="20/min") or None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Framework-contract portal API",
    "DESCRIPTION": "Framework contracts, rate cards, orders, person-day logs and settlements.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API pages come from the portal itself, not a CDN (a buyer's network may have no internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "GET_LIB_DOC_EXCLUDES": "core.schema.lib_doc_excludes",
    # Every resource has a `status` of its own: each enum named after its resource.
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "contracts.models.FrameworkContract.Status",
        "TemplateStatusEnum": "assessment.models.AssessmentTemplate.Status",
        "StaffStatusEnum": "staffing.models.StaffMember.Status",
        "OrderStatusEnum": "orders.models.Order.Status",
        "WorkLogStatusEnum": "worklogs.models.WorkLog.Status",
        "AssessmentStatusEnum": "assessment.models.Assessment.Status",
        "SettlementStatusEnum": "settlement.models.SettlementSheet.Status",
        "DocumentKindEnum": "archive.models.Document.Kind",
        "TerminationKindEnum": "orders.models.Termination.Kind",
        "TerminationStatusEnum": "orders.models.Termination.Status",
        "TerminationClauseEnum": "orders.models.Termination.Clause",
        "PenaltyClauseEnum": "governance.models.Penalty.Clause",
        "NotificationChannelEnum": "notifications.models.Channel",
        "TaskStateEnum": "settlement.api.TASK_STATES",
    },
}

# Mail (notifications): an SMTP server in production, EMAIL_URL as django-environ reads it
# (smtp+tls://user:password@smtp.example.com:587); without one each mail is printed on the
# console, so `make run` shows what would be sent.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 20)
# Where the portal is reached: mails and chat posts link to it.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")
# A log, a staff approval, a disputed score or a sheet's signature waiting longer than this many
# working days is reminded to whoever it waits on.
NOTIFY_WAITING_WORKDAYS = env.int("NOTIFY_WAITING_WORKDAYS", 3)

# Uploaded workbooks larger than this are refused before they are opened.
XLSX_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = XLSX_MAX_BYTES + 1024 * 1024
# The delivery page posts four fields per line, up to 2,000 lines (worklogs.views).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Every unhandled error (django.request) and every money action (portal.money, INFO) is logged
# with its request's id, user id and path: JSON lines in production, plain text otherwise.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.logs.RequestContext"}},
    "formatters": {
        "plain": {
            "()": "core.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": env("LOG_FORMAT", default="json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Django's own errors reach the handler above once (not also its console and mail_admins).
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Their INFO is each step of each PDF and each successful login: too much to keep.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Key of the ID-number digests (附件5). Changing it makes stored staff unmatchable.
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY", default=SECRET_KEY)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
