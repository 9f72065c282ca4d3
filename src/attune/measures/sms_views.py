"""The provider's webhooks: a text's progress, and the texts clients send back.

No sign-in and no CSRF token: the provider proves each request with its signature
(``X-Twilio-Signature``, checked with the ``twilio`` library's ``RequestValidator`` against the
auth token and the address it called).  A missing or wrong signature answers 403 and changes
nothing; an unknown message or number answers 200 and records nothing.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse

from attune.measures import delivery
from attune.measures.sms import signature_valid


@csrf_exempt
@require_POST
def sms_status(request):
    if not signature_valid(request):
        return HttpResponseForbidden("Signature missing or wrong.")
    delivery.sms_status_record(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def sms_inbound(request):
    if not signature_valid(request):
        return HttpResponseForbidden("Signature missing or wrong.")
    reply = delivery.sms_inbound(
        from_number=request.POST.get("From", ""), text=request.POST.get("Body", "")
    )
    answer = MessagingResponse()
    if reply:
        answer.message(reply)
    return HttpResponse(str(answer), content_type="text/xml")
