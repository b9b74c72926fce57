"""A browser session as the server sees it over Streamlit's websocket (``/_stcore/stream``, the ``BackMsg`` /
``ForwardMsg`` protobufs), without a browser: the load bench (bench/bench_load.py) and the team-server
tests drive the app with it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ui.session.drafts import XSRF_COOKIE

RUN_TIMEOUT = 120.0
FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass
class Widget:
    kind: str
    proto: object
    fragment_id: str


class Session:
    """One session: sends reruns, reads ForwardMsgs, knows the pages, widgets and errors it has seen."""

    def __init__(self, base: str, query: str = "", expect: str = "", cookie: str = "") -> None:
        self.ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        # A browser's own key (its XSRF cookie, ui.session.drafts.owner): each session is another consultant.
        self.headers = {"Cookie": f"{XSRF_COOKIE}={cookie}"} if cookie else {}
        self.query = query
        self.pages: dict[str, str] = {}  # url path → page_script_hash
        self.page = ""  # hash of the page on screen
        self.widgets: dict[str, Widget] = {}  # widgets of the last run, by id
        self.errors: list[str] = []
        self.expect = expect.encode()  # bytes the first run must send (the restored company's name)
        self.ws: ClientConnection | None = None
        self._done: asyncio.Future[None] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def open(self) -> float:
        """Connect and run the first page (the address's query string): ms to script_finished."""
        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=self.headers,
            max_size=None,
            open_timeout=60,
        )
        self._reader = asyncio.create_task(self._read())
        ms = await self.rerun()
        if self.expect:
            self.errors.append("the draft was not restored")
        return ms

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                if self.expect and self.expect in data:  # type: ignore[operator]
                    self.expect = b""
                msg = ForwardMsg()
                msg.ParseFromString(data)  # type: ignore[arg-type]
                self._handle(msg)
        except Exception as exc:  # a lost connection ends every run waiting on it
            self._fail(f"connection: {exc!r}")
        else:
            self._fail("connection closed")

    def _fail(self, why: str) -> None:
        if self._done is not None and not self._done.done():
            self.errors.append(why)
            self._done.set_result(None)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._take_pages(msg.new_session.app_pages, msg.new_session.page_script_hash)
        elif kind == "navigation":
            self._take_pages(msg.navigation.app_pages, msg.navigation.page_script_hash)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.delta.fragment_id)
        elif (
            kind == "script_finished"
            and msg.script_finished != FINISHED_EARLY
            and self._done is not None
            and not self._done.done()
        ):
            self._done.set_result(None)

    def _element(self, element, fragment_id: str) -> None:
        what = element.WhichOneof("type")
        if what == "exception":
            self.errors.append(f"exception: {element.exception.type}: {element.exception.message[:200]}")
        elif what is not None:
            proto = getattr(element, what)
            widget_id = getattr(proto, "id", "")
            if isinstance(widget_id, str) and widget_id.startswith("$$ID"):
                self.widgets[widget_id] = Widget(what, proto, fragment_id)

    def _take_pages(self, pages, current: str) -> None:
        if pages:
            self.pages = {p.url_pathname: p.page_script_hash for p in pages}
        if current:
            self.page = current

    async def rerun(self, page: str | None = None, widget: WidgetState | None = None, fragment_id: str = "") -> float:
        """Send one rerun (to another page, or with a changed widget): ms until its script_finished.

        ``page`` is a page's url path ("" the default page's); None reruns the current page."""
        assert self.ws is not None
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page if page is None else self.pages[page]
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN"
        if widget is not None:
            state.widget_states.widgets.append(widget)
        if fragment_id:
            state.fragment_id = fragment_id
        if widget is None and not fragment_id:
            self.widgets = {}
        self._done = asyncio.get_running_loop().create_future()
        errors = len(self.errors)
        started = time.perf_counter()
        try:
            await self.ws.send(back.SerializeToString())
            await asyncio.wait_for(self._done, RUN_TIMEOUT)
        except TimeoutError:
            self.errors.append(f"no script_finished within {RUN_TIMEOUT:.0f} s")
        except ConnectionClosed as exc:
            self.errors.append(f"connection closed: {exc}")
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed if len(self.errors) == errors else float("nan")

    def answer_widget(self, key: str) -> Widget:
        return next(w for wid, w in self.widgets.items() if wid.endswith("-" + key) and w.kind == "button_group")
