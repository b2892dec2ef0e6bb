"""thidua's URLs plus `/bench/trivial`: the floor a page's latency is compared with."""

from django.http import HttpResponse
from django.urls import path

from thidua.urls import urlpatterns as thidua_urlpatterns


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *thidua_urlpatterns]
