from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from thidua.assessments.demo import DEMO_PASSWORD, create_demo_users, fill_demo_assessments
from thidua.criteria.services import LibraryAlreadyLoaded, load_library, read_library_file
from thidua.periods.models import Period
from thidua.periods.services import create_period
from thidua.results.demo import load_demo_2022
from thidua.reviews.demo import fill_demo_reviews
from thidua.sources.demo import import_demo_source_data
from thidua.units.defaults import ensure_default_levels
from thidua.units.models import Level, UnitKind


class Command(BaseCommand):
    help = "Load the 2435 library, the Sóc Trăng units, a 2023 period, demo users and inputs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow with DEBUG off (never in production)."
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo tạo tài khoản có mật khẩu công khai: chỉ dùng khi DEBUG bật."
            )
        try:
            version = load_library(read_library_file(settings.THIDUA_DEFAULT_LIBRARY))
        except LibraryAlreadyLoaded as exc:
            version = exc.version
        ensure_default_levels(Level, UnitKind)
        call_command("import_units", settings.BASE_DIR / "data" / "soc-trang-units-2023.csv")
        period = Period.objects.filter(year=2023, criteria_version=version).first()
        if period is None:
            period = create_period(year=2023, criteria_version=version)
        users = create_demo_users()
        admin = User.objects.get(username="quantri")
        filled = fill_demo_assessments(period, admin)
        # Source data before the reviews: the reviews demo finalizes some units.
        import_demo_source_data(period, User.objects.get(username="sotttt"))
        users += fill_demo_reviews(period)
        load_demo_2022(admin)
        self.stdout.write(f"Kỳ đánh giá: {period} ({filled} bản đánh giá mẫu mới).")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD})")
        width = max(len(u) for u, _, _ in users)
        for username, role, unit in users:
            self.stdout.write(f"  {username.ljust(width)}  {role}{' — ' + unit if unit else ''}")
        self.stdout.write("")
        self.stdout.write("Mở http://127.0.0.1:8000 và đăng nhập bằng một tài khoản ở trên.")
