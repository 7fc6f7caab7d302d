"""Readers report works and comments; staff work through the reports in the admin."""

import html

import pytest
from django.urls import reverse

from stories import services
from stories.moderation.guard import HONEYPOT_FIELD, STAMP_FIELD
from stories.moderation.models import Report, ReportStatus
from tests.factories import make_work
from tests.stories.moderation.conftest import stamp_ago, stamp_from

pytestmark = pytest.mark.django_db


def report_work_url(work):
    return reverse("moderation:report_work", args=[work.pk])


def report_comment_url(comment):
    return reverse("moderation:report_comment", args=[comment.pk])


@pytest.fixture
def comment(work, reader):
    return services.comment_post(
        chapter=work.chapters.get(), user=reader, body="Rude words"
    )


def test_the_work_and_each_comment_link_to_a_report(client, work, comment):
    page = client.get(work.chapters.get().get_absolute_url()).content.decode()
    assert f'href="{report_work_url(work)}"' in page
    assert f'href="{report_comment_url(comment)}"' in page


def test_a_guest_reports_a_work_with_an_email(client, work, fill_time):
    form = client.get(report_work_url(work))
    assert form.status_code == 200
    assert 'name="email"' in form.content.decode()
    assert stamp_from(form)
    response = client.post(
        report_work_url(work),
        {
            "reason": "spam",
            "details": "It is an advert.",
            "email": "wren@example.org",
            STAMP_FIELD: stamp_ago(10),
        },
        follow=True,
    )
    assert "Thank you for your report" in response.content.decode()
    assert response.redirect_chain[-1][0] == work.get_absolute_url()
    report = Report.objects.get()
    assert report.work == work and report.comment is None
    assert report.reporter is None and report.reporter_email == "wren@example.org"
    assert report.status == ReportStatus.OPEN


def test_a_guest_report_too_fast_or_with_the_honeypot_is_refused(
    client, work, fill_time
):
    data = {"reason": "spam", "details": "Advert", "email": "wren@example.org"}
    sent = stamp_from(client.get(report_work_url(work)))
    response = client.post(report_work_url(work), {**data, STAMP_FIELD: sent})
    assert response.status_code == 400
    assert "please take a moment" in html.unescape(response.content.decode())
    response = client.post(
        report_work_url(work),
        {**data, STAMP_FIELD: stamp_ago(10), HONEYPOT_FIELD: "x"},
    )
    assert response.status_code == 400
    assert "Advert" in response.content.decode()
    assert not Report.objects.exists()


def test_a_guest_report_needs_an_email_and_a_reason(client, work):
    response = client.post(report_work_url(work), {"details": "Something"})
    assert response.status_code == 400
    assert "Something" in response.content.decode()
    assert not Report.objects.exists()


def test_a_user_reports_a_comment(reader_client, reader, comment):
    page = reader_client.get(report_comment_url(comment)).content.decode()
    assert "Rude words" in page and 'name="email"' not in page
    response = reader_client.post(
        report_comment_url(comment), {"reason": "harassment", "details": ""}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.comment == comment and report.work is None
    assert report.reporter == reader and report.reporter_email == ""


def test_reports_of_what_the_reporter_cannot_see_are_404(
    client, reader_client, author, comment
):
    draft = make_work(owner=author, post=False)
    assert client.get(report_work_url(draft)).status_code == 404
    assert (
        reader_client.post(report_work_url(draft), {"reason": "spam"}).status_code
        == 404
    )
    held_on = make_work(
        owner=author, allow_guest_comments=True, hold_guest_comments=True
    )
    held = services.comment_post(
        chapter=held_on.chapters.get(),
        body="Held",
        guest_name="Wren",
        guest_email="wren@example.org",
    )
    assert reader_client.get(report_comment_url(held)).status_code == 404
    assert (
        reader_client.get(reverse("moderation:report_work", args=[10**9])).status_code
        == 404
    )
    # Its author may see the draft, but a draft is not reported.
    reader_client.force_login(author)
    assert reader_client.get(report_work_url(draft)).status_code == 404
    assert not Report.objects.exists()


def test_staff_list_open_reports_with_links_and_resolve_them(
    staff_client, work, comment, reader
):
    from stories.moderation.services import report_file

    on_work = report_file(work=work, reason="spam", reporter_email="w@example.org")
    on_comment = report_file(comment=comment, reason="harassment", reporter=reader)
    changelist = reverse("admin:moderation_report_changelist")
    page = staff_client.get(changelist, {"status__exact": "open"}).content.decode()
    assert f'href="{work.get_absolute_url()}"' in page
    assert reverse("stories:comment_detail", args=[comment.pk]) in page
    assert reverse("admin:stories_work_change", args=[work.pk]) in page
    assert "w@example.org" in page and reader.username in page
    response = staff_client.post(
        changelist,
        {
            "action": "mark_resolved",
            "_selected_action": [on_work.pk, on_comment.pk],
        },
    )
    assert response.status_code == 302
    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    assert Report.objects.filter(resolved_at__isnull=False).count() == 2
    page = staff_client.get(changelist, {"status__exact": "open"}).content.decode()
    assert f"Report #{on_work.pk}:" not in page
    detail = staff_client.get(
        reverse("admin:moderation_report_change", args=[on_work.pk])
    )
    assert detail.status_code == 200


def test_others_cannot_open_the_report_admin(reader_client):
    response = reader_client.get(reverse("admin:moderation_report_changelist"))
    assert response.status_code == 302
