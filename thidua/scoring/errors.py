"""The two exceptions of the scoring engine. Messages are Vietnamese, shown to users."""

SEP = " › "


class LibraryError(ValueError):
    """A criteria library is invalid. `.problems` lists every problem found, each naming
    where it is ("tinh › T03 › params.target: …")."""

    def __init__(self, problems: list[str] | str):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class InputError(ValueError):
    """Inputs for one criterion are invalid. `.criterion` is its code, `.field` the input
    field (None when the problem is not one field's) and `.message` the Vietnamese text."""

    def __init__(self, criterion: str, field: str | None, message: str):
        self.criterion = criterion
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = SEP.join(part for part in (self.criterion, self.field) if part)
        return f"{where}: {self.message}"


class Problems:
    """Collects library problems under a location prefix, to raise them all at once."""

    def __init__(self, prefix: str = "", joiner: str = SEP):
        self.prefix = prefix
        self.joiner = joiner
        self.items: list[str] = []

    def add(self, field: str | None, message: str) -> None:
        where = self.joiner.join(part for part in (self.prefix, field) if part)
        self.items.append(f"{where}: {message}" if where else message)

    def extend(self, problems: list[str]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise LibraryError(self.items)
