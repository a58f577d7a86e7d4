"""Settings for the office system, all read from the environment (django-environ).

With nothing set the app runs on its embedded default: SQLite for the database and Celery's
SQLAlchemy transport on SQLite as the broker, so a machine with only Python 3.11 can run web,
worker and beat. With DATABASE_URL / REDIS_URL set it uses PostgreSQL and Redis.
`.env.example` lists every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Where the embedded default keeps its SQLite database, broker and beat schedule.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "office",
    "documents",
    "meetings",
    "supervision",
    "proposals",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "pgtrigger",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "office.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "office.urls"
WSGI_APPLICATION = "office.wsgi.application"

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
                "office.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'office.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "office.User"

# --- Authentication and security (FIELD_NOTES.md, security baseline) ------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "office.passwords.PolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:desk"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Idle logout is the security policy's (office.middleware, from the last real request); the
# session cookie itself lasts at most one working day.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_SECONDS", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery (FIELD_NOTES.md: late ack, reject on worker loss, retries < visibility timeout) ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL",
    default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}",
)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
# Redis redelivers an unacknowledged task after the visibility timeout; the SQLAlchemy transport
# passes its options to create_engine(), which refuses unknown ones.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest retry delay any task may use; kept well under the visibility timeout.
CELERY_MAX_RETRY_DELAY = CELERY_VISIBILITY_TIMEOUT // 4
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Catches any outbox row whose on-commit relay was lost (crash between commit and enqueue).
    "office-relay-outbox": {"task": "office.tasks.relay_outbox", "schedule": 60.0},
    # The core's own sweeper: passwords that expire within a week (the security policy).
    "office-prune-pdf-cache": {"task": "office.tasks.prune_pdf_cache", "schedule": 24 * 3600.0},
    "office-sweep-password-expiry": {
        "task": "office.tasks.sweep_password_expiry",
        "schedule": 3600.0,
    },
    # 自动催办 of incoming documents (documents.deadlines): hourly in office hours — red and
    # escalation reminders are urgent (SMS), so never at night; a repeat run sends nothing twice.
    "documents-sweep-incoming-deadlines": {
        "task": "documents.tasks.sweep_incoming_deadlines",
        "schedule": crontab(minute=5, hour="8-18"),
    },
    # 签收催收 of dispatched documents (documents.receipts): every 30 minutes in office hours — an
    # electronic receipt unsigned 8 working hours after dispatch is chased (urgent, SMS) once a
    # day and its sender told; a repeat run the same day sends nothing twice.
    "documents-sweep-unsigned-receipts": {
        "task": "documents.tasks.sweep_unsigned_receipts",
        "schedule": crontab(minute="0,30", hour="8-17"),
    },
    # 自动催办 of supervision items (supervision.reminders): every 30 minutes in office hours —
    # 临期提醒, 逾期催办 (urgent), 催报进展 to the lead unit, 报责任领导 after N working days of red;
    # each (item, kind, day) once, however often it runs.
    "supervision-sweep": {
        "task": "supervision.tasks.sweep_supervision",
        "schedule": crontab(minute="15,45", hour="8-17"),
    },
    # 自动催办 of suggestions and proposals (proposals.reminders): every 30 minutes in office hours,
    # offset from the other sweepers — 临期提醒 and 逾期催办 (urgent) to the lead unit, 逾期督促 of
    # key items to their leader and of every item to the office after N working days overdue;
    # each (item, kind, day) once, however often it runs.
    "proposals-sweep": {
        "task": "proposals.tasks.sweep_proposals",
        "schedule": crontab(minute="10,40", hour="8-17"),
    },
}

# --- Mail and SMS (outbox channels) -------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="oa@zhuhai.gov.cn.example")
SMS_BACKEND = env.str("SMS_BACKEND", default="office.channels.ConsoleSmsBackend")

# --- PDFs ---------------------------------------------------------------------------------------
OFFICIAL_FONTS_DIR = env.str("OFFICIAL_FONTS_DIR", default="")
PDF_CACHE_DIR = Path(env.str("PDF_CACHE_DIR", default=str(VAR_DIR / "pdf-cache")))

# --- The office this installation serves -----------------------------------------------------
OFFICE_CITY_NAME = env.str("OFFICE_CITY_NAME", default="珠海市")
# 办公时间（工作时段，逗号分隔）：按“工作小时”计算的时限只计这些时段，且只在工作日计（例如发文
# 核发后 8 个工作小时内签收）。午休、晚上、周末和节假日不计时，调休上班日照常计时。
OFFICE_HOURS = env.str("OFFICE_HOURS", default="08:30-12:00,14:30-17:30")

# 督查督办: working days an item stays red (逾期 or 未按期报送进展) before the sweeper reports it to
# its responsible leader (报责任领导, supervision.reminders).
SUPERVISION_ESCALATE_AFTER_WORKING_DAYS = env.int(
    "SUPERVISION_ESCALATE_AFTER_WORKING_DAYS", default=3
)
# 建议提案办理: working days a reply may be overdue before the sweeper tells the key item's leader
# and the office's staff (逾期督促, proposals.reminders).
PROPOSALS_ESCALATE_AFTER_WORKING_DAYS = env.int("PROPOSALS_ESCALATE_AFTER_WORKING_DAYS", default=3)
# 网络诉求: the reply time limit in working days after 立项 when none is given.
SUPERVISION_APPEAL_WORKING_DAYS = env.int("SUPERVISION_APPEAL_WORKING_DAYS", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
    },
}
