/**
 * VitePress's default theme, with a few styles of the site's own
 * (`custom.css`): method badges of the HTTP reference, a sidebar that keeps
 * long names readable.
 */
import DefaultTheme from "vitepress/theme";
import "./custom.css";

export default DefaultTheme;
