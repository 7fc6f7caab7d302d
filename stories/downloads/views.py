from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from stories.downloads.addresses import FORMATS, download_url, file_name
from stories.downloads.services import download_build, download_get
from stories.models import Work

CONTENT_TYPES = {
    ext: f"{media_type}; charset=utf-8"
    if media_type.startswith("text/")
    else media_type
    for ext, media_type in FORMATS.items()
}


@require_safe
def download(request, pk, name, ext):
    """Send a work as a file; a draft, or a work the reader may not see, is 404.

    Drafts are never offered, to their creators either, as on AO3. A wrong
    name in the address redirects to the right one.
    """
    work = (
        Work.objects.visible_to(request.user)
        .posted()
        .filter(pk=pk)
        .only("pk", "title")
        .first()
    )
    if work is None:
        raise Http404("No such work.")
    if name != file_name(work.title):
        return HttpResponsePermanentRedirect(download_url(work, ext))
    built = download_get(work_pk=work.pk, ext=ext)
    if built is None:
        raise Http404("No such work.")
    not_modified = get_conditional_response(
        request, etag=built.etag, last_modified=int(built.modified)
    )
    if not_modified is not None:
        return not_modified
    try:
        opened = open(built.path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        # Replaced by a newer version's file since: build this one again.
        built = download_build(work_pk=work.pk, ext=ext)
        opened = open(built.path, "rb")  # noqa: SIM115
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=f"{name}.{ext}",
        content_type=CONTENT_TYPES[ext],
    )
    response["ETag"] = built.etag
    response["Last-Modified"] = built.last_modified
    # Each request asks whether the reader may still have it: revalidate.
    patch_cache_control(response, private=True, no_cache=True)
    return response
