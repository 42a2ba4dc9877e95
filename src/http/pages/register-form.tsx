/**
 * The "Register the GitHub App" form: on the sandbox's home page and on /setup (src/local/register
 * handles what it posts). Plain HTML, no script.
 */
export function RegisterForm(props: { web: string; needsChannel: boolean; offerChannel: boolean }) {
  return (
    <form method="post" action="/setup/manifest" class="register">
      <p>
        Creates a GitHub App from <code>app.yml</code> on <strong>{props.web}</strong>, then saves its id, key and webhook secret here.
      </p>
      <fieldset>
        <legend>Owner</legend>
        <label>
          <input type="radio" name="account" value="user" checked /> my personal account
        </label>{' '}
        <label>
          <input type="radio" name="account" value="organization" /> the organization
        </label>{' '}
        <label>
          <span class="sr">Organization login</span>
          <input type="text" name="org" placeholder="organization login" autocomplete="off" />
        </label>
      </fieldset>
      <details>
        <summary>GitHub Enterprise Server, App name</summary>
        <p>
          <label>
            Enterprise Server host <input type="text" name="ghes_host" placeholder="ghe.example.com" />
          </label>
        </p>
        <p>
          <label>
            App name (unique on GitHub) <input type="text" name="name" placeholder="arm64 CI" maxlength={34} />
          </label>
        </p>
      </details>
      {props.offerChannel ? (
        <p>
          <label>
            <input type="checkbox" name="channel" value="new" checked={props.needsChannel} /> create a smee.io channel to bring webhooks to this
            laptop (WEBHOOK_PROXY_URL)
          </label>
        </p>
      ) : null}
      <p>
        <button type="submit">Register the GitHub App on GitHub</button>
      </p>
    </form>
  );
}

