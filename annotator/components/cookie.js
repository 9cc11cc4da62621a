// The browser half of cookie.py: sets (or, with a null value, deletes) one cookie of this site, so
// that the next page load sends it to the server (st.context.cookies). Nothing is drawn.
export default function browserCookie({ data }) {
  const { name, value, maxAge } = data;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const attributes = `; Path=/; SameSite=Strict${secure}`;
  if (value === null) {
    document.cookie = `${name}=${attributes}; Max-Age=0`;
  } else {
    document.cookie = `${name}=${encodeURIComponent(value)}${attributes}; Max-Age=${maxAge}`;
  }
}
