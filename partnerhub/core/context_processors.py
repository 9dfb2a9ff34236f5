from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.PARTNERHUB_SITE_NAME}
