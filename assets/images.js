/* The "load image" button of an article image placeholder (dashboard/images.py): the click
   swaps that one placeholder for the image, in the browser. A file under assets/, not an inline
   clientside callback, so a Content-Security-Policy allowing only the app's own scripts runs it. */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.images = {
  load: function (nClicks, src, alt) {
    if (!nClicks || typeof src !== "string" || !/^https?:\/\//i.test(src)) {
      return [window.dash_clientside.no_update, window.dash_clientside.no_update];
    }
    // Keyboard users keep their place: the button goes, so focus moves to what replaces it.
    var button = document.activeElement;
    var slot = button && button.closest ? button.closest(".image-placeholder") : null;
    if (slot) {
      setTimeout(function () { slot.focus(); }, 0);
    }
    var image = {
      type: "Img",
      namespace: "dash_html_components",
      props: {
        src: src,
        alt: alt || "",
        // The outlet learns an image was loaded, not from which page of the dashboard.
        referrerPolicy: "no-referrer",
        loading: "lazy",
        className: "article-image"
      }
    };
    return [image, "image-placeholder image-loaded"];
  }
};
