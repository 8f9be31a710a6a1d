class DomainError(Exception):
    """A rule of the contract was broken; the API answers 400, a page shows it on its form.

    `field` names the input the message is about; `messages` carries several at once (an import
    that lists every bad row); `conflict` says the object is no longer in a state that allows
    the action (someone else acted first): the API answers 409.
    """

    code = "invalid"
    status = 400

    def __init__(self, message, *, field=None, messages=None, conflict=False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.messages = messages or [message]
        if conflict:
            self.status = 409
