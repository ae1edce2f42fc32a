"""newsbot installs under one import name, and the old top-level `bot` still imports from a checkout."""

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_folder_installs_under_newsbot() -> None:
    setup = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setup["packages"])
    mapped = {name: REPO / folder for name, folder in setup["package-dir"].items()}
    found = {"newsbot.corpus"}
    for name in ("index", "bot"):
        for init in (REPO / name).rglob("__init__.py"):
            found.add(".".join(["newsbot", *init.parent.relative_to(REPO).parts]))
    # A subpackage missing from the list would be missing from a wheel, and only there.
    assert listed == found
    assert all(name.startswith("newsbot.") for name in listed)
    assert mapped == {"newsbot.index": REPO / "index", "newsbot.bot": REPO / "bot", "newsbot.corpus": REPO / "corpus"}
    assert setup.get("py-modules") is None


def test_old_bot_import_from_a_checkout_warns_and_gives_the_same_factory() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "try:\n"
        "    import bot\n"
        "except DeprecationWarning as warning:\n"
        "    print('warned:', warning)\n"
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        "import bot\n"
        "from newsbot.bot import create_bot\n"
        "print(bot.create_bot is create_bot)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "warned: `import bot` is deprecated; import `newsbot.bot` instead" in done.stdout
    assert done.stdout.strip().endswith("True")


def test_a_folder_named_index_in_the_working_directory_does_not_shadow_the_engine(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "__init__.py").write_text("raise SystemExit('the wrong index package was imported')\n")
    done = subprocess.run(
        [sys.executable, "-m", "newsbot.bot", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "usage: newsbot" in done.stdout
