"""The author's statistics in a real browser under the Content-Security-Policy:
the charts load as images and draw, on the page and opened on their own, with
no violation, console error or failed request."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from stories.engagement import services as engagement
from stories.statistics import queries
from tests.browser.test_content_security_policy import PASSWORD, REPORT_VIOLATIONS
from tests.factories import UserFactory, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statistics_page_and_its_charts_run_under_the_policy(
    page: Page, live_server, transactional_db, tmp_path
):
    author = UserFactory(username="chartwriter")
    author.set_password(PASSWORD)
    author.save(update_fields=["password"])
    work = make_work(owner=author, title="Counting Lanterns", chapters=2)
    for number in range(3):
        engagement.kudos_leave(work=work, guest_key=f"guest-{number}")

    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            message.type in {"error", "warning"}
            and not message.location.get("url", "").endswith("/favicon.ico")
            and problems.append(f"{page.url}: console {message.type}: {message.text}")
        ),
    )
    page.on(
        "requestfailed",
        lambda request: problems.append(f"{request.url} failed: {request.failure}"),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.url} answered {response.status}")
        ),
    )

    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(author.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Site")).to_contain_text(author.username)

    page.goto(live_server.url + reverse("stories:user_detail", args=[author.username]))
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistics for chartwriter"
    )
    page.get_by_label("Show the charts by").select_option("day")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Kudos by day")).to_be_visible()
    images = page.locator(".statistics-chart img")
    expect(images).to_have_count(len(queries.SERIES))
    page.wait_for_load_state("load")
    # Every chart arrived as an image the browser could draw.
    widths = images.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert widths == [720] * len(queries.SERIES)
    expect(page.get_by_role("table", name="Kudos by day")).to_be_visible()
    page.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)

    # Opened on its own, a chart is a document under its own policy.
    chart = images.first.get_attribute("src")
    response = page.goto(live_server.url + chart)
    assert response.headers["content-type"] == "image/svg+xml"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    # Its <style> applied: the bars have the colour it gives them.
    fill = page.locator("rect.rect").first.evaluate(
        "rect => getComputedStyle(rect).fill"
    )
    assert fill == "rgb(138, 28, 28)"

    assert problems == []
