"""Hidden authors became mutes: the migration moves every one over."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import UserFactory

BEFORE = [("stories", "0009_work_reader_counts"), ("blocking", "0001_initial")]
AFTER = [
    ("stories", "0011_remove_hiddencreator"),
    ("blocking", "0002_mute_hidden_authors"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_hidden_authors_become_mutes():
    reader, other, author, second = (
        UserFactory(username=name) for name in ("picky", "other", "author", "second")
    )
    try:
        apps = migrate(BEFORE)
        HiddenCreator = apps.get_model("stories", "HiddenCreator")  # noqa: N806
        HiddenCreator.objects.bulk_create(
            [
                HiddenCreator(reader_id=reader.pk, creator_id=author.pk),
                HiddenCreator(reader_id=reader.pk, creator_id=second.pk),
                HiddenCreator(reader_id=other.pk, creator_id=author.pk),
            ]
        )
        apps = migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    Mute = apps.get_model("blocking", "Mute")  # noqa: N806
    assert sorted(Mute.objects.values_list("muter__username", "muted__username")) == [
        ("other", "author"),
        ("picky", "author"),
        ("picky", "second"),
    ]
    assert "stories_hiddencreator" not in connection.introspection.table_names()
