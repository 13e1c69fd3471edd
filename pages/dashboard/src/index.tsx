import { render } from "solid-js/web";
import "./theme";
import { App } from "./app";
import "./styles.css";

render(() => <App />, document.getElementById("root")!);
