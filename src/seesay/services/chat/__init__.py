"""Helpers of the chat bridge (``seesay.services.chat_bridge``): settings, routing, limits,
upstream HTTP and the local vision answer."""
