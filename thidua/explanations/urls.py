app_name = "explanations"
urlpatterns = []
