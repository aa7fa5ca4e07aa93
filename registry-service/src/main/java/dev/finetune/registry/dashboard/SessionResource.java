package dev.finetune.registry.dashboard;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Signing in to the dashboard with a platform token (the same JWT the API takes, e.g. from
 * {@code ./finetune token create}): the token is checked, then kept in an HttpOnly, SameSite=Strict cookie that the
 * registry reads like a bearer header, so the pages' own requests carry it and no other site's can. The sign-in
 * page also takes the token from its URL's fragment, which browsers never send to a server.
 */
@Path("/dashboard")
public class SessionResource {

    /** The cookie the registry reads tokens from ({@code mp.jwt.token.cookie}). */
    public static final String COOKIE = "finetune_token";
    static final String SIGN_IN = "/dashboard/login";

    private final JWTParser parser;
    private final Template login;

    public SessionResource(JWTParser parser, @Location("dashboard/login.html") Template login) {
        this.parser = parser;
        this.login = login;
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    public String loginPage() {
        return login.data("problem", null).render();
    }

    /** Checks the token as the API would, and keeps it in the session cookie until it expires. */
    @POST
    @Path("/session")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("token") String token, @Context UriInfo uri) {
        if (token == null || token.isBlank()) {
            return refused("token: is required: paste a platform token (./finetune token create --role viewer)");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token.strip());
        } catch (ParseException e) {
            return refused("token: refused: it is not a valid token of this platform (" + e.getMessage() + ")");
        }
        long seconds = Math.max(0, jwt.getExpirationTime() - System.currentTimeMillis() / 1000);
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(token.strip()).path("/").httpOnly(true)
                .secure("https".equals(uri.getRequestUri().getScheme())).sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) Math.min(Integer.MAX_VALUE, seconds)).build();
        return Response.seeOther(URI.create("/dashboard")).cookie(cookie).build();
    }

    @POST
    @Path("/logout")
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create(SIGN_IN)).cookie(expired).build();
    }

    private Response refused(String problem) {
        return Response.status(401).type(MediaType.TEXT_HTML).entity(login.data("problem", problem).render()).build();
    }
}
