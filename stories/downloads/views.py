from django.http import Http404


def download(request, pk, name, ext):
    raise Http404
