"""Run every benchmark (``make bench``)."""

from bench import assignments


def main() -> None:
    assignments.main()


if __name__ == "__main__":
    main()
