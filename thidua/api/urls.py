# The django-ninja API is mounted here (see thidua/api/api.py once written).
urlpatterns = []
