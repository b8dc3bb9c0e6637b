import { useEffect, useState } from "react";
import { Admin } from "./Admin";
import { Audit } from "./Audit";
import { BaseScreen } from "./BaseScreen";
import { Home } from "./Home";
import { useLoaded } from "./hooks";
import { Members } from "./Members";
import { hrefOf, placeAt } from "./places";
import { client, onChange, signOut, signedIn } from "./session";
import { SignIn } from "./SignIn";

export function App() {
  const [session, setSession] = useState(signedIn());
  const [place, setPlace] = useState(() => placeAt(window.location));
  useEffect(() => onChange(() => setSession(signedIn())), []);
  useEffect(() => {
    const follow = () => setPlace(placeAt(window.location));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  // Who is signed in: whether they are one of the platform's operators (read again for each session).
  const me = useLoaded(async () => (session ? (await client()).call("me") : null), [session]);
  if (!session) return <SignIn />;
  const operator = me.data?.operator === true;
  return (
    <div className="console">
      <header>
        <a href="#/" className="brand">NC LCDBaaS</a>
        <nav>
          {operator && (
            <a href={hrefOf({ screen: "admin", tab: "tenants" })} aria-current={place.screen === "admin" ? "page" : undefined}>
              Operators
            </a>
          )}
          <a href="/docs/">API reference</a>
          <button
            type="button"
            onClick={() => {
              window.location.hash = "#/";
              void signOut();
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <main>
        {place.screen === "home" && <Home />}
        {place.screen === "members" && <Members workspaceId={place.workspaceId} />}
        {place.screen === "audit" && <Audit workspaceId={place.workspaceId} />}
        {place.screen === "admin" && <Admin place={place} me={me} />}
        {place.screen === "base" && <BaseScreen place={place} />}
      </main>
    </div>
  );
}
