import { useState, type FormEvent } from "react";
import { Problem } from "./Problem";
import { signIn, signUp } from "./session";

export function SignIn() {
  const [mode, setMode] = useState<"in" | "up">("in");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    setBusy(true);
    setError(null);
    try {
      if (mode === "in") await signIn(text("email"), text("password"));
      else await signUp(text("name"), text("email"), text("password"));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>{mode === "in" ? "Sign in" : "Create an account"}</h1>
      <form onSubmit={(event) => void submit(event)} aria-label={mode === "in" ? "Sign in" : "Sign up"}>
        {mode === "up" && (
          <label>
            Name <input name="name" autoComplete="name" required maxLength={100} />
          </label>
        )}
        <label>
          Email <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password{" "}
          <input
            name="password"
            type="password"
            autoComplete={mode === "in" ? "current-password" : "new-password"}
            required
            minLength={mode === "up" ? 10 : undefined}
          />
        </label>
        <button type="submit" disabled={busy}>{mode === "in" ? "Sign in" : "Create account"}</button>
      </form>
      <Problem error={error} />
      <p>
        {mode === "in" ? "No account yet? " : "Have an account? "}
        <button type="button" className="link" onClick={() => setMode(mode === "in" ? "up" : "in")}>
          {mode === "in" ? "Create one" : "Sign in"}
        </button>
      </p>
    </main>
  );
}
