"""Rule kinds by name. A new kind is one module under `kinds/` decorated with `@register`."""

KINDS: dict[str, type] = {}


def register(name: str):
    """Class decorator: make a Rule subclass available to libraries as `kind: NAME`."""

    def decorate(cls):
        if name in KINDS and KINDS[name] is not cls:
            raise ValueError(f"rule kind {name!r} is already registered")
        cls.kind = name
        KINDS[name] = cls
        return cls

    return decorate


def get_kind(name: str) -> type:
    """The Rule class registered as `name`; KeyError if there is none."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown rule kind {name!r}; known: {', '.join(sorted(KINDS))}") from None
