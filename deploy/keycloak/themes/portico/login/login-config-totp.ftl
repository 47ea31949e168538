<#-- Two-step login setup, in place of keycloak.v2's: the labels name their fields (Keycloak's point at
     an id that does not exist), and the key is always shown as text with an otpauth: link, because
     a person reading this on their phone cannot scan a code on the same screen. The code to scan
     stays for a second device. -->
<#import "template.ftl" as layout>
<#import "field.ftl" as field>
<#import "password-commons.ftl" as passwordCommons>
<#assign issuer = realm.displayName!realm.name>
<#assign secretKey = totp.totpSecretEncoded?replace(" ", "")>
<#assign otpauthUrl = "otpauth://" + totp.policy.type + "/" + issuer?url('UTF-8') + ":" + totp.username?url('UTF-8')
  + "?secret=" + secretKey + "&issuer=" + issuer?url('UTF-8') + "&algorithm=" + totp.policy.getAlgorithmKey()
  + "&digits=" + totp.policy.digits?c + "&period=" + totp.policy.period?c>
<@layout.registrationLayout displayRequiredFields=false displayMessage=!messagesPerField.existsError('totp','userLabel'); section>
    <#if section = "header">
        ${msg("loginTotpTitle")}
    <#elseif section = "form">
        <p>${msg("loginTotpIntro")}</p>
        <ol id="kc-totp-settings" class="pf-v5-c-list pf-v5-u-mb-md">
            <li>
                <p>${msg("loginTotpStep1")}</p>
                <ul id="kc-totp-supported-apps">
                    <#list totp.supportedApplications as app>
                        <li>${msg(app)}</li>
                    </#list>
                </ul>
            </li>
            <li>
                <p>${msg("loginTotpStep2")}</p>
                <p><a href="${otpauthUrl}" id="kc-totp-app-link">${msg("porticoTotpOnThisPhone")}</a></p>
                <p id="kc-totp-key-label">${msg("porticoTotpTypeKey")}</p>
                <p><span id="kc-totp-secret-key" aria-describedby="kc-totp-key-label">${totp.totpSecretEncoded}</span></p>
                <p id="kc-totp-policy">${msg("porticoTotpSettings", totp.policy.digits?c, totp.policy.period?c, totp.policy.getAlgorithmKey())}</p>
                <p>${msg("porticoTotpScan")}</p>
                <img id="kc-totp-secret-qr-code" src="data:image/png;base64, ${totp.totpSecretQrCode}" alt="${msg("porticoTotpQrAlt")}" width="200" height="200">
            </li>
            <li>
                <p>${msg("loginTotpStep3")}</p>
                <p>${msg("loginTotpStep3DeviceName")}</p>
            </li>
        </ol>

        <form action="${url.loginAction}" class="${properties.kcFormClass!}" id="kc-totp-settings-form" method="post" novalidate="novalidate">
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcLabelClass!}">
                    <label class="pf-v5-c-form__label" for="totp">
                        <span class="pf-v5-c-form__label-text">${msg("authenticatorCode")}</span>&nbsp;<span class="pf-v5-c-form__label-required" aria-hidden="true">&#42;</span>
                    </label>
                </div>
                <div class="${properties.kcInputClass!} <#if messagesPerField.existsError('totp')>pf-m-error</#if>">
                    <input type="text" required id="totp" name="totp" autocomplete="one-time-code" inputmode="numeric"
                           <#if messagesPerField.existsError('totp')>aria-invalid="true" aria-describedby="input-error-otp-code"</#if>
                    />
                    <@field.errorIcon error=messagesPerField.get('totp')/>
                </div>
                <#if messagesPerField.existsError('totp')>
                    <span id="input-error-otp-code" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                        ${messagesPerField.get('totp')}
                    </span>
                </#if>
                <input type="hidden" id="totpSecret" name="totpSecret" value="${totp.totpSecret}" />
                <#if mode??><input type="hidden" id="mode" name="mode" value="${mode}"/></#if>
            </div>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcLabelClass!}">
                    <label class="pf-v5-c-form__label" for="userLabel">
                        <span class="pf-v5-c-form__label-text">${msg("loginTotpDeviceName")}</span><#if totp.otpCredentials?size gte 1>&nbsp;<span class="pf-v5-c-form__label-required" aria-hidden="true">&#42;</span></#if>
                    </label>
                </div>
                <div class="${properties.kcInputClass!} <#if messagesPerField.existsError('userLabel')>pf-m-error</#if>">
                    <input type="text" id="userLabel" name="userLabel" autocomplete="off"
                           <#if totp.otpCredentials?size gte 1>required</#if>
                           <#if messagesPerField.existsError('userLabel')>aria-invalid="true" aria-describedby="input-error-otp-label"</#if>
                    />
                    <@field.errorIcon error=messagesPerField.get('userLabel')/>
                </div>
                <#if messagesPerField.existsError('userLabel')>
                    <span id="input-error-otp-label" class="${properties.kcInputErrorMessageClass!}" aria-live="polite">
                        ${messagesPerField.get('userLabel')}
                    </span>
                </#if>
            </div>

            <div class="${properties.kcFormGroupClass!}">
                <@passwordCommons.logoutOtherSessions/>
            </div>

            <div class="pf-v5-c-form__group pf-m-action">
                <div class="pf-v5-c-form__actions">
                    <input type="submit"
                        class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} <#if !isAppInitiatedAction??>${properties.kcButtonBlockClass!}</#if> ${properties.kcButtonLargeClass!}"
                        id="saveTOTPBtn" value="${msg("porticoTotpSave")}"
                    />
                    <#if isAppInitiatedAction??>
                        <button type="submit"
                                class="${properties.kcButtonClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonLargeClass!}"
                                id="cancelTOTPBtn" name="cancel-aia" value="true">${msg("doCancel")}
                        </button>
                    </#if>
                </div>
            </div>
        </form>
    </#if>
</@layout.registrationLayout>
